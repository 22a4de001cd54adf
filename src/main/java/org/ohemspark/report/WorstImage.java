package org.ohemspark.report;

/**
 * One image of the report's worst images, with its figures and its three thumbnails (PNG
 * bytes, at most {@link Thumbnails#MAX_WIDTH} pixels wide, all of one size).
 *
 * @param rank 1 for the worst image (the ranking of {@code images/}: {@code kept_loss_sum}
 *     descending, then {@code image_id} ascending)
 * @param keptLossSum sum of the losses of the image's kept pixels, nats
 * @param picture the image with its kept pixels drawn over it (or over its colourised label
 *     mask where the input has no picture: {@code photo} false)
 * @param labels the colourised label mask
 * @param predicted the colourised predicted classes
 * @param photo whether {@code picture} is the input's picture
 */
public record WorstImage(int rank, String imageId, int height, int width, long nValid,
    long nHard, long nKept, double keptLossSum, Double meanKeptLoss, byte[] picture,
    byte[] labels, byte[] predicted, boolean photo) {}

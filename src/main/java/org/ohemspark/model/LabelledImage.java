package org.ohemspark.model;

/**
 * One input record for a model: an encoded image (PNG or JPEG bytes, not yet decoded) and its
 * decoded label mask {@code [H, W]} (stored values, row-major, before the label convention).
 * Its logits come from the model ({@link ModelRunner}); with them it becomes an
 * {@link org.ohemspark.core.ImageRecord}.
 *
 * @param source the record's source for messages and the outputs (as for stored logits: e.g.
 *     {@code "<image file>, <label file>"}, or the shard file)
 * @param imageSource the image's file (or member), named when it cannot be decoded
 */
public record LabelledImage(String imageId, String source, String imageSource, byte[] image,
    int height, int width, int[] storedLabels) {}

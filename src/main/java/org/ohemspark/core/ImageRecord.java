package org.ohemspark.core;


/**
 * One decoded input record: an image's logits {@code [C, h, w]} and its stored label values
 * {@code [H, W]} (row-major, before the label convention).
 *
 * @param source where it came from (file or shard), for error messages
 */
public record ImageRecord(String imageId, String source, Logits logits, int height, int width,
    int[] storedLabels) {}

package org.ohemspark.mining;

import org.ohemspark.source.BadRecordMode;

/**
 * The dataset-level figures of one mining run ({@code summary.json}).
 *
 * <p>Dataset scope: the OHEM rule over all valid pixels, as PyTorch over the whole batch.
 * Image scope: {@code mean} is the mean of the per-image OHEM means that exist, the counts are
 * sums over images, {@code usedTopk} says whether any image took the top-k branch and
 * {@code kthLoss} is null.
 *
 * @param mean OHEM mean loss (nats), null when {@code status} is EMPTY
 * @param status OK, or EMPTY where PyTorch gives NaN (nothing kept)
 * @param nImagesTopk images whose own rule took the top-k branch (image scope; else 0 or 1)
 * @param histogramPasses passes over cached losses the exact top-k needed (0 on the threshold
 *     branch)
 * @param mode what was done with bad records
 * @param nBadRecords records left out as bad (quarantined in PERMISSIVE, dropped in
 *     DROPMALFORMED; always 0 in FAILFAST, which stops instead)
 */
public record MiningSummary(Double mean, String status, GroupBy groupBy, long nImages,
    long nValid, long nMin, long nHard, long nKept, boolean usedTopk, Double kthLoss,
    double lossThreshold, long nImagesTopk, long nImagesEmpty, int histogramPasses,
    BadRecordMode mode, long nBadRecords) {}

package org.ohemspark.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The per-class table and the confusion of the kept pixels, from the merged states
 * ({@link ClassTotals}, {@link KeptConfusion}) and optional class names. O(C^2) work on the
 * driver, nothing per pixel.
 *
 * <p>Per class {@code c} in {@code [0, C)} (the segmentation metrics of mmsegmentation's
 * {@code IoUMetric}, over the valid pixels of the whole dataset):
 *
 * <pre>
 *   iou           = n_correct / (n_valid + n_predicted - n_correct)   null when 0 / 0
 *   acc           = n_correct / n_valid                                null when n_valid = 0
 *   mean_loss     = loss_sum / n_valid                                 null when n_valid = 0
 *   kept_fraction = n_kept / n_valid                                   null when n_valid = 0
 *   kept_share    = n_kept / (all kept pixels)                         null when nothing is kept
 *   miou          = mean of the iou that are not null                  null when all are
 *   aacc          = (sum of n_correct) / (sum of n_valid)              null when no valid pixel
 * </pre>
 *
 * {@code C} is the larger class count of the two states (the logits' {@code C}).
 */
public final class ClassReport {
  /** One row of the per-class table; nullable figures are null where a denominator is 0. */
  public record ClassRow(int classId, String className, long nValid, long nPredicted,
      long nCorrect, Double iou, Double acc, Double meanLoss, long nKept, Double keptFraction,
      Double keptShare) {}

  /**
   * One {@code (label, predicted)} pair of kept pixels: their count and mean loss (nats).
   * Only pairs with at least one kept pixel have a row.
   */
  public record ConfusionRow(int label, String labelName, int predicted, String predictedName,
      long nKept, double meanLoss) {}

  /**
   * The order of {@link #confusion()}: {@code n_kept} descending, then label, then predicted
   * ascending.
   */
  public static final Comparator<ConfusionRow> RANK = Comparator
      .comparingLong(ConfusionRow::nKept).reversed()
      .thenComparingInt(ConfusionRow::label)
      .thenComparingInt(ConfusionRow::predicted);

  private final List<ClassRow> classes;
  private final List<ConfusionRow> confusion;
  private final Double miou;
  private final Double aacc;

  private ClassReport(List<ClassRow> classes, List<ConfusionRow> confusion, Double miou,
      Double aacc) {
    this.classes = classes;
    this.confusion = confusion;
    this.miou = miou;
    this.aacc = aacc;
  }

  /**
   * @param totals the valid pixels' per-class counts and loss sums
   * @param kept the kept pixels by (label, predicted)
   * @param names class names by class id, or null; a class beyond the list (or whose entry is
   *     null) has no name, and names beyond {@code C} are not used
   */
  public static ClassReport of(ClassTotals totals, KeptConfusion kept, List<String> names) {
    int c = Math.max(totals.classes(), kept.classes());
    long allKept = kept.kept();
    List<ClassRow> rows = new ArrayList<>(c);
    long sumCorrect = 0;
    long sumValid = 0;
    double iouSum = 0;
    int iouCount = 0;
    for (int k = 0; k < c; k++) {
      boolean has = k < totals.classes();
      long nValid = has ? totals.nValid(k) : 0;
      long nPred = has ? totals.nPredicted(k) : 0;
      long nCorrect = has ? totals.nCorrect(k) : 0;
      long nKept = k < kept.classes() ? kept.keptOfLabel(k) : 0;
      long union = nValid + nPred - nCorrect;
      Double iou = union == 0 ? null : (double) nCorrect / union;
      if (iou != null) {
        iouSum += iou;
        iouCount++;
      }
      rows.add(new ClassRow(k, name(names, k), nValid, nPred, nCorrect, iou,
          ratio(nCorrect, nValid), nValid == 0 ? null : totals.lossSum(k) / nValid, nKept,
          ratio(nKept, nValid), ratio(nKept, allKept)));
      sumCorrect += nCorrect;
      sumValid += nValid;
    }
    List<ConfusionRow> conf = new ArrayList<>();
    for (int l = 0; l < kept.classes(); l++) {
      for (int p = 0; p < kept.classes(); p++) {
        long n = kept.count(l, p);
        if (n > 0) {
          conf.add(new ConfusionRow(l, name(names, l), p, name(names, p), n,
              kept.lossSum(l, p) / n));
        }
      }
    }
    conf.sort(RANK);
    return new ClassReport(List.copyOf(rows), List.copyOf(conf),
        iouCount == 0 ? null : iouSum / iouCount, ratio(sumCorrect, sumValid));
  }

  private static Double ratio(long num, long den) {
    return den == 0 ? null : (double) num / den;
  }

  private static String name(List<String> names, int k) {
    return names == null || k >= names.size() ? null : names.get(k);
  }

  /** One row per class, by class id. */
  public List<ClassRow> classes() {
    return classes;
  }

  /** One row per (label, predicted) pair of kept pixels, in {@link #RANK} order. */
  public List<ConfusionRow> confusion() {
    return confusion;
  }

  /** Mean of the classes' IoU that are not null; null when every class's is. */
  public Double miou() {
    return miou;
  }

  /** All correct valid pixels over all valid pixels; null when there is no valid pixel. */
  public Double aacc() {
    return aacc;
  }
}

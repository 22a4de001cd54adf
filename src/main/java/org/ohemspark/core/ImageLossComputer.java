package org.ohemspark.core;

/**
 * Turns a decoded {@link ImageRecord} into its {@link ImageLosses}: applies the label
 * convention, checks the class count, and runs the {@link CrossEntropyKernel}. One instance per
 * thread (the kernel holds scratch buffers).
 */
public final class ImageLossComputer {
  private final OhemParams params;
  private final LabelConvention convention;
  private final Integer classes;
  private final CrossEntropyKernel kernel;

  /**
   * @param classes the class count the dataset declares ({@code dataset.json} or a flag), or
   *     null to take each image's {@code C}
   */
  public ImageLossComputer(OhemParams params, LabelConvention convention, Integer classes) {
    this.params = params;
    this.convention = convention;
    this.classes = classes;
    this.kernel = new CrossEntropyKernel(params);
  }

  /**
   * Computes one image's losses.
   *
   * @throws BadRecordException naming the record's source and id when the logits' class count
   *     differs from the declared one or from the class weights' count (with no declared class
   *     count, that mismatch is only seen here, per image: the message says it is the
   *     configuration's), or as {@link CrossEntropyKernel#compute}
   */
  public ImageLosses compute(ImageRecord r) {
    try {
      int c = r.logits().channels();
      if (classes != null && c != classes) {
        throw new BadRecordException(r.source(), r.imageId(), "logits have C = " + c
            + " classes but the dataset declares classes = " + classes);
      }
      int[] labels = convention.apply(r.storedLabels().clone(), params.ignoreIndex());
      return kernel.compute(r.imageId(), r.logits(), labels, r.height(), r.width());
    } catch (BadRecordException e) {
      throw e.withContext(r.source(), r.imageId());
    }
  }
}

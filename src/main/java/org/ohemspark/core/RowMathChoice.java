package org.ohemspark.core;

/** Picks {@link RowMath#best()} once, when first asked. */
final class RowMathChoice {
  private RowMathChoice() {}

  static final RowMath BEST = choose();

  private static RowMath choose() {
    if ("scalar".equals(System.getProperty("ohem.kernel"))) {
      return RowMath.scalar();
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return RowMath.scalar();
    }
    try {
      // loaded by name: without the module, linking VectorRowMath would fail
      RowMath v = (RowMath) Class.forName("org.ohemspark.core.VectorRowMath")
          .getDeclaredConstructor().newInstance();
      return ((VectorRowMathProbe) v).lanes() >= 4 ? v : RowMath.scalar();
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      return RowMath.scalar();
    }
  }

  /** What the Vector API implementation reports about itself. */
  interface VectorRowMathProbe {
    /** Double lanes per vector. */
    int lanes();
  }
}

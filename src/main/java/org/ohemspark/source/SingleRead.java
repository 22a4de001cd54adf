package org.ohemspark.source;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * An iterator of one element read when {@code next()} is called, not before: an input row that
 * is one image, whose record (and the file it holds open) should exist only while the loss
 * pass consumes it. A failure of the read is thrown from {@code next()}.
 */
final class SingleRead {
  private SingleRead() {}

  /** The one element {@code read} gives, read by the first {@code next()}. */
  static <T> Iterator<T> of(Supplier<T> read) {
    return new Iterator<>() {
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public T next() {
        if (done) {
          throw new NoSuchElementException();
        }
        done = true;
        return read.get();
      }
    };
  }
}

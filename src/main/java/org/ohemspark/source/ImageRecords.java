package org.ohemspark.source;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.spark.HadoopConf;

/** The images of a partition of {@link ImageSource#records}, decoded lazily on an executor. */
public final class ImageRecords {
  private ImageRecords() {}

  /** As {@link #map(Iterator, ImageSource, HadoopConf, Function, BiFunction)}, failing fast. */
  static <T> Iterator<T> map(Iterator<Row> rows, ImageSource source, HadoopConf conf,
      Function<ImageRecord, T> fn) {
    return map(rows, source, conf, fn, (bad, input) -> {
      throw bad;
    });
  }

  /**
   * {@code source.readAll} of every row, flattened, each mapped by {@code fn}; one image in
   * memory at a time (as far as the source streams). A {@link BadRecordException} from reading,
   * decoding or {@code fn} goes to {@code onBad} with the input row, which returns a value to
   * emit in its place or rethrows. After a failed {@code hasNext} the rest of that input row is
   * abandoned (its stream cannot go on); after a failed {@code next} or {@code fn} it goes on.
   * Each record's logits are closed once {@code fn} is done with them, whether it returned or
   * threw ({@code fn} must not keep them: logits read from a file hold it open).
   */
  public static <T> Iterator<T> map(Iterator<Row> rows, ImageSource source, HadoopConf conf,
      Function<ImageRecord, T> fn, BiFunction<BadRecordException, Row, T> onBad) {
    return new Iterator<T>() {
      private Iterator<ImageRecord> images = Collections.emptyIterator();
      private Row current;
      private T pending;

      @Override
      public boolean hasNext() {
        if (pending != null) {
          return true;
        }
        while (true) {
          try {
            if (images.hasNext()) {
              return true;
            }
          } catch (BadRecordException e) {
            images = Collections.emptyIterator();
            pending = onBad.apply(e, current);
            return true;
          }
          if (!rows.hasNext()) {
            return false;
          }
          current = rows.next();
          try {
            images = source.readAll(current, conf);
          } catch (BadRecordException e) {
            images = Collections.emptyIterator();
            pending = onBad.apply(e, current);
            return true;
          }
        }
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        if (pending != null) {
          T p = pending;
          pending = null;
          return p;
        }
        ImageRecord r = null;
        try {
          r = images.next();
          return fn.apply(r);
        } catch (BadRecordException e) {
          return onBad.apply(e, current);
        } finally {
          if (r != null) {
            r.logits().close();
          }
        }
      }
    };
  }
}

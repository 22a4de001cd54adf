package org.ohemspark.spark;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.ohemspark.core.ImageRecord;

/** The images of a partition of {@link ImageSource#records}, decoded lazily on an executor. */
final class ImageRecords {
  private ImageRecords() {}

  /**
   * {@code source.readAll} of every row, flattened, each mapped by {@code fn}; one image in
   * memory at a time (as far as the source streams).
   */
  static <T> Iterator<T> map(Iterator<Row> rows, ImageSource source, HadoopConf conf,
      Function<ImageRecord, T> fn) {
    return new Iterator<T>() {
      private Iterator<ImageRecord> images = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!images.hasNext() && rows.hasNext()) {
          images = source.readAll(rows.next(), conf);
        }
        return images.hasNext();
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return fn.apply(images.next());
      }
    };
  }
}

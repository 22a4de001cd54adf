package org.ohemspark.spark;

import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where the report finds an image's picture, read on an executor for the worst images only:
 * {@code images/<id>.png}, {@code .jpg} or {@code .jpeg} beside {@code labels/} in a dataset
 * directory (the model's input with {@code --model}, or pictures kept beside stored logits).
 * Inputs without such a folder (Parquet shards, tars, a single file) give none, and the report
 * draws the colourised label mask instead.
 */
public final class ReportPictures implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The extensions tried, in order. */
  static final String[] EXTENSIONS = {".png", ".jpg", ".jpeg"};

  private final String input;

  /** @param input the job's input (a dataset directory, or any other input: then no pictures) */
  public ReportPictures(String input) {
    this.input = input;
  }

  /**
   * The encoded picture of {@code imageId}, or null where there is none or it cannot be read
   * (the report then shows the label mask; a picture is never a reason to fail the job).
   */
  public byte[] read(String imageId, HadoopConf conf) {
    try {
      Path folder = new Path(input, "images");
      FileSystem fs = folder.getFileSystem(conf.get());
      for (String ext : EXTENSIONS) {
        Path p = new Path(folder, imageId + ext);
        if (fs.isFile(p)) {
          return conf.readAll(p.toString());
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    return null;
  }
}

package org.ohemspark.source;

import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How an input is laid out: a dataset directory ({@link DatasetDirectory}), Parquet shards
 * ({@link ParquetShards}) or WebDataset tars ({@link WebDatasetTars}); {@code AUTO} detects it.
 */
public enum InputFormat {
  /** Detect: see {@link #detect}. */
  AUTO,
  /** {@code logits/<id>.npy} and {@code labels/<id>.png|npy}. */
  DIR,
  /** {@code *.parquet} files of the shard schema. */
  PARQUET,
  /** {@code *.tar} WebDataset shards. */
  WEBDATASET;

  /**
   * Parses {@code auto}, {@code dir} (also {@code npy}, {@code directory}), {@code parquet},
   * {@code webdataset} (also {@code tar}, {@code wds}).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static InputFormat parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "auto", "" -> AUTO;
      case "dir", "npy", "directory" -> DIR;
      case "parquet" -> PARQUET;
      case "webdataset", "tar", "wds" -> WEBDATASET;
      default -> throw new IllegalArgumentException("format must be auto, dir (npy), parquet "
          + "or webdataset, got '" + s + "'");
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * This format, or for {@code AUTO} the one {@code input} has, from one listing through the
   * Hadoop FileSystem API: a file {@code *.tar} or {@code *.parquet} is that; a folder with a
   * {@code logits/} folder is {@code DIR}, with {@code *.parquet} files or a {@code _SUCCESS}
   * marker {@code PARQUET}, with {@code *.tar} files {@code WEBDATASET}.
   *
   * @throws IllegalArgumentException if the input matches none of these
   * @throws org.ohemspark.core.BadRecordException if the input is an empty folder
   * @throws IOException if it cannot be listed
   */
  public InputFormat detect(Configuration conf, String input) throws IOException {
    if (this != AUTO) {
      return this;
    }
    Path p = new Path(input);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus st = fs.getFileStatus(p);
    if (st.isFile()) {
      return byName(p.getName(), input);
    }
    boolean parquet = false;
    boolean tar = false;
    FileStatus[] children = fs.listStatus(p);
    if (children.length == 0) {
      throw new org.ohemspark.core.BadRecordException(input, null,
          "empty dataset: the folder is empty");
    }
    for (FileStatus c : children) {
      String name = c.getPath().getName();
      if (c.isDirectory() && name.equals("logits")) {
        return DIR;
      }
      parquet |= name.equals("_SUCCESS") || name.endsWith(".parquet");
      tar |= c.isFile() && name.endsWith(".tar");
    }
    if (parquet) {
      return PARQUET;
    }
    if (tar) {
      return WEBDATASET;
    }
    throw new IllegalArgumentException("cannot tell the format of " + input + ": no logits/ "
        + "folder, *.parquet file, _SUCCESS or *.tar file in it; give --format");
  }

  private static InputFormat byName(String name, String input) {
    if (name.endsWith(".tar")) {
      return WEBDATASET;
    }
    if (name.endsWith(".parquet")) {
      return PARQUET;
    }
    throw new IllegalArgumentException("cannot tell the format of the file " + input
        + ": expected a folder, a *.tar or a *.parquet file; give --format");
  }

  /**
   * The source reading {@code input} in this format, failing fast on bad shards.
   *
   * @throws IllegalStateException for {@code AUTO} (call {@link #detect} first)
   */
  public ImageSource source(String input) {
    return source(input, BadRecordMode.FAILFAST);
  }

  /**
   * The source reading {@code input} in this format, handling bad shards (a corrupt Parquet
   * file, a malformed or truncated tar) as {@code mode} says: pass the miner's mode.
   *
   * @throws IllegalStateException for {@code AUTO} (call {@link #detect} first)
   */
  public ImageSource source(String input, BadRecordMode mode) {
    return switch (this) {
      case DIR -> new DatasetDirectory(input);
      case PARQUET -> new ParquetShards(input, mode);
      case WEBDATASET -> new WebDatasetTars(input, mode);
      case AUTO -> throw new IllegalStateException("detect the format first");
    };
  }
}

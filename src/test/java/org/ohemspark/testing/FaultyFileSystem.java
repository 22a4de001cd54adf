package org.ohemspark.testing;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code faulty:} (register it with
 * {@code fs.faulty.impl}), where opening a file of a {@code logits/} folder fails as no bad
 * record does: an unexpected fault in a task, for tests of how the jobs report one. By default
 * it throws an {@link IllegalStateException} (a storage client's bug); with
 * {@code ohem.test.fault=oom} in the Hadoop configuration, an {@link OutOfMemoryError}.
 */
public final class FaultyFileSystem extends RawLocalFileSystem {
  /** The URI scheme. */
  public static final String SCHEME = "faulty";
  /** Hadoop configuration key choosing the fault: {@code runtime} (default) or {@code oom}. */
  public static final String FAULT = "ohem.test.fault";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    if (f.getParent() != null && f.getParent().getName().equals("logits")) {
      if ("oom".equals(getConf().get(FAULT))) {
        throw new OutOfMemoryError("injected: Java heap space, reading " + f);
      }
      throw new IllegalStateException("injected fault: the storage client failed reading " + f);
    }
    return super.open(f, bufferSize);
  }
}

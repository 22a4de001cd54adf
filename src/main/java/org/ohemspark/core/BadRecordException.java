package org.ohemspark.core;

/**
 * A record of the input (one image: its logits, its label mask, or their pairing) is malformed.
 * The message names the source (file, shard or tar member), the image id, what was expected and
 * what was found. The job maps it to exit code 3.
 */
public class BadRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String imageId;
  private final String reason;

  /**
   * @param source file or shard the record came from ({@code null} if unknown)
   * @param imageId the image id ({@code null} if unknown)
   * @param reason what was expected and what was found
   */
  public BadRecordException(String source, String imageId, String reason) {
    this(source, imageId, reason, null);
  }

  public BadRecordException(String source, String imageId, String reason, Throwable cause) {
    super(format(source, imageId, reason), cause);
    this.source = source;
    this.imageId = imageId;
    this.reason = reason;
  }

  private static String format(String source, String imageId, String reason) {
    StringBuilder sb = new StringBuilder("bad record");
    if (imageId != null) {
      sb.append(" image_id='").append(imageId).append('\'');
    }
    if (source != null) {
      sb.append(" source=").append(source);
    }
    return sb.append(": ").append(reason).toString();
  }

  public String source() {
    return source;
  }

  public String imageId() {
    return imageId;
  }

  public String reason() {
    return reason;
  }

  /** The same failure with the source and image id filled in where they were unknown. */
  public BadRecordException withContext(String src, String id) {
    return new BadRecordException(source != null ? source : src, imageId != null ? imageId : id,
        reason, getCause());
  }
}

package org.ohemspark.mining;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.source.StretchedImages;

/**
 * One record of the loss pass, as the executors cache it (deserialized Java objects, so the
 * later passes read the loss arrays in place, with no copy or row conversion): either a good
 * image's losses, or a bad record's id, source and reason. A spilled or remotely read block
 * goes through the session's serializer: under Kryo, which cannot build records, this one is
 * written in its Java form ({@link DefaultSerializer}; {@link ImageLosses} writes its arrays
 * in bulk), with no registration needed.
 *
 * @param imageId the image id; may be null for a bad record whose id could not be read
 * @param source file, shard or tar member the record came from (for messages and quarantine/)
 * @param error null for a good record; else what was expected and what was found
 * @param losses the image's losses and first-pass figures; null for a bad record
 * @param stretched for a good image whose logits were resized to another aspect ratio than its
 *     label mask, the two shapes ({@link StretchedImages#shapes}); else null
 */
@DefaultSerializer(JavaSerializer.class)
public record LossRecord(String imageId, String source, String error, ImageLosses losses,
    String stretched) implements Serializable {

  /**
   * A good record.
   *
   * @param stretched {@link StretchedImages#shapes} of the decoded image (null if not stretched)
   */
  public static LossRecord good(ImageLosses losses, String source, String stretched) {
    return new LossRecord(losses.imageId(), source, null, losses, stretched);
  }

  /** A bad record. */
  public static LossRecord bad(String imageId, String source, String reason) {
    return new LossRecord(imageId, source, reason, null, null);
  }

  /** True when this is a good record. */
  public boolean isGood() {
    return error == null;
  }

  /** True when this image's logits were resized to another aspect ratio. */
  public boolean isStretched() {
    return stretched != null;
  }
}

package org.ohemspark.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.serializer.Serializer;
import org.ohemspark.testing.Serializers;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ohemspark.mining.OhemKryoRegistrator;
import org.ohemspark.spark.HadoopConf;
import org.ohemspark.testing.Golden;

/**
 * The inputs' objects that cross Spark's data serializer come back with the same content
 * through Spark's Java serializer, through its Kryo serializer with nothing registered, and
 * through Kryo requiring registration with {@link OhemKryoRegistrator}
 * ({@code org.ohemspark.mining.KryoRoundTripTest} has the engine's side). No SparkSession.
 */
class InputsKryoRoundTripTest {

  static Stream<Serializer> serializers() {
    return Serializers.all();
  }

  private static <T> T roundTrip(Serializer s, T value) {
    return Serializers.roundTrip(s, value);
  }

  /**
   * The inputs' side: the Hadoop configuration broadcast to the executors, a directory
   * listing's slice (parallelized), a Parquet footer and a tar's index (task results; the
   * index also persisted).
   */
  @ParameterizedTest
  @MethodSource("serializers")
  void inputsSide(Serializer s) {
    Configuration c = new Configuration(false);
    c.set("fs.example.setting", "kept");
    assertEquals("kept", roundTrip(s, new HadoopConf(c)).get().get("fs.example.setting"));

    DirectoryListing listing = DirectoryListing.of(new Configuration(),
        Golden.load("topk_path").dir().toString());
    DirectoryListing.Slice slice = listing.slice(0, listing.size());
    assertEquals(rows(slice), rows(roundTrip(s, slice)));

    ParquetFooters.Footer f = new ParquetFooters.Footer("file:/x/part-0.parquet", 12,
        new StructType().add("image_id", DataTypes.StringType), null);
    assertEquals(f, roundTrip(s, f));

    WebDatasetTars.TarIndex t = new WebDatasetTars.TarIndex("file:/x/a.tar",
        List.of(TarPieces.Piece.whole("file:/x/a.tar", 4096),
            new TarPieces.Piece("file:/x/a.tar", 4096, 1024, -1, 2, List.of("k1"))),
        List.of("k0", "k1"));
    assertEquals(t, roundTrip(s, t));
  }

  private static List<Row> rows(DirectoryListing.Slice slice) {
    List<Row> out = new ArrayList<>();
    slice.rows().forEachRemaining(out::add);
    assertEquals(slice.size(), out.size());
    return out;
  }
}

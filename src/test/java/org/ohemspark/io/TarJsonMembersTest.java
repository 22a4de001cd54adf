package org.ohemspark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.testing.Tars;

/** The JSON members of a tar: which members count, their bytes, and truncated tars. */
class TarJsonMembersTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsOnlyTheJsonMembersWithTheirKeys() {
    byte[] tar = Tars.create()
        .add("a/0001.logits.npy", new byte[5000])
        .add("a/0001.json", utf8("{\"batch\": 4}"))
        .add("a/0001.meta.json", utf8("{\"not\": \"this\"}"))
        .add("README", utf8("no suffix"))
        .add("./0002.JSON", utf8("{}"))
        .bytes();
    List<TarJsonMembers.Member> got = TarJsonMembers.read("t.tar", PositionedFile.of(tar));
    assertEquals(2, got.size());
    assertEquals("a/0001", got.get(0).key());
    assertEquals("a/0001.json", got.get(0).member());
    assertEquals("{\"batch\": 4}", new String(got.get(0).bytes(), StandardCharsets.UTF_8));
    assertEquals("0002", got.get(1).key());
    assertEquals("{}", new String(got.get(1).bytes(), StandardCharsets.UTF_8));
  }

  @Test
  void aTarCutInsideAMemberIsNamed() {
    byte[] whole = Tars.create().add("0001.logits.npy", new byte[3000])
        .add("0001.json", utf8("{\"batch\": 1}")).bytes();
    // headers are 512 bytes: logits data [512, 3584) padded, JSON header at 3584, data at 4096
    byte[] cut = Arrays.copyOf(whole, 4100);
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> TarJsonMembers.read("cut.tar", PositionedFile.of(cut)));
    assertTrue(e.getMessage().contains("cut.tar"), e.getMessage());
  }
}

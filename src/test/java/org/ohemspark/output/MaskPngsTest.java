package org.ohemspark.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ohemspark.core.BadRecordException;

/** The file names of {@code masks/}: ids as they are, sub-folders for {@code /}, unsafe refused. */
class MaskPngsTest {

  @Test
  void idsAreFileNamesAndSlashesFolders() {
    assertEquals("0016E5_07959.png", MaskPngs.relativePath("0016E5_07959"));
    assertEquals("train/0001.png", MaskPngs.relativePath("train/0001"));
    assertEquals("a b.c.png", MaskPngs.relativePath("a b.c"));
    assertEquals("....png", MaskPngs.relativePath("..."), "'...' is a name, not a parent");
  }

  @Test
  void unsafeIdsAreRefusedNamingTheId() {
    for (String id : new String[] {"../etc/x", "a/../b", "/abs", "a//b", "a/", ".", "",
        "c:x", "a\\b", "a\nb"}) {
      BadRecordException e = assertThrows(BadRecordException.class,
          () -> MaskPngs.relativePath(id), id);
      assertEquals(id, e.imageId());
      assertTrue(e.getMessage().contains("image_id='" + id + "'")
          && e.getMessage().contains("no safe file name"), e.getMessage());
    }
  }
}

package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LibrarySearch#candidates}: the order the vendor FFT drivers try libraries in. */
class LibrarySearchTest {
  private static final String PROPERTY = "statelens.librarysearchtest.lib";

  @Test
  void eachSonameIsFollowedByWhereTheSearchFindsIt() {
    List<String> searched = new ArrayList<>();
    List<String> names = LibrarySearch.candidates(PROPERTY, List.of("liba.so", "liba.so.1"), soname -> {
      searched.add(soname);
      return List.of("/opt/x/" + soname, "/opt/y/" + soname);
    });
    assertEquals(List.of("liba.so", "/opt/x/liba.so", "/opt/y/liba.so", "liba.so.1", "/opt/x/liba.so.1",
        "/opt/y/liba.so.1"), names);
    assertEquals(List.of("liba.so", "liba.so.1"), searched);
  }

  @Test
  void theSystemPropertyAloneIsTriedWhenSetAndIgnoredWhenBlank() {
    try {
      System.setProperty(PROPERTY, "  /custom/liba.so ");
      List<String> searched = new ArrayList<>();
      assertEquals(List.of("/custom/liba.so"), LibrarySearch.candidates(PROPERTY, List.of("liba.so"), soname -> {
        searched.add(soname);
        return List.of();
      }));
      assertEquals(List.of(), searched, "a forced library is not searched for");
      System.setProperty(PROPERTY, " ");
      assertEquals(List.of("liba.so"), LibrarySearch.candidates(PROPERTY, List.of("liba.so"), soname -> List.of()));
    } finally {
      System.clearProperty(PROPERTY);
    }
  }
}

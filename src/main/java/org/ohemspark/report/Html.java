package org.ohemspark.report;

/**
 * HTML text escaping. Every text that reaches the report from data (class names, image ids,
 * paths, parameters) goes through {@link #text}, so a class name such as
 * {@code <b>"road" & 'lane'</b>} shows as written and never becomes markup.
 */
public final class Html {
  private Html() {}

  /**
   * The text escaped for an element's content or a quoted attribute value: {@code & < > " '}
   * become entities; null becomes the empty string.
   */
  public static String text(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}

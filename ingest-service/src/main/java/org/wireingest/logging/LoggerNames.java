package org.wireingest.logging;

/** Logger-name rules shared by the project's Logback filters. */
final class LoggerNames {

  /** The project's own loggers, which its filters never thin out or drop. */
  static final String OWN = "org.wireingest";

  private LoggerNames() {}

  /**
   * @param name a logger's name
   * @param ancestor a logger's name
   * @return whether {@code name} is {@code ancestor} or one of its descendants in Logback's
   *     dot-separated hierarchy ({@code a.b.C} is within {@code a.b}, {@code a.bc} is not)
   */
  static boolean within(String name, String ancestor) {
    return name.equals(ancestor)
        || (name.length() > ancestor.length()
            && name.startsWith(ancestor)
            && name.charAt(ancestor.length()) == '.');
  }
}

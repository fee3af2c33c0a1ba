package org.wireingest.cli;

import picocli.CommandLine;

/** Reports the version from the jar manifest ({@code Implementation-Version}), or "dev". */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = WireIngest.class.getPackage().getImplementationVersion();
    return new String[] {"wire-ingest " + (v == null ? "dev" : v)};
  }
}

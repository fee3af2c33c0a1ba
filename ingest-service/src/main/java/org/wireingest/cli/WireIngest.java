package org.wireingest.cli;

public final class WireIngest {
  public static void main(String[] args) {}
}

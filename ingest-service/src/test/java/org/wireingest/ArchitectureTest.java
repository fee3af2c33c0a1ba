package org.wireingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The architecture the README's "Layout" describes, checked on the compiled main classes: the
 * domain rules (parse, text, dedup, normalize, with the model and the feeds list) use neither Kafka
 * nor HTTP, and no two packages depend on each other.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.wireingest");

  @Test
  void domainRulesUseNeitherKafkaNorHttp() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.wireingest.parse..",
            "org.wireingest.text..",
            "org.wireingest.dedup..",
            "org.wireingest.normalize..",
            "org.wireingest.model..",
            "org.wireingest.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..", "java.net.http..", "com.sun.net.httpserver..", "kafka..")
        .check(MAIN);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.wireingest.(*)..").should().beFreeOfCycles().check(MAIN);
  }
}

package org.wireingest.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run} refuses to start, with one clear line on stderr and exit status 1, when its data dir
 * cannot be used or its broker does not answer. The time bound is the command's own
 * ({@link RunCommand#BROKER_CONTACT_TIMEOUT}), not this test's.
 */
class StartupFailureTest {

  private static final String FEEDS =
      """
      sources:
        - id: sample
          name: Sample
          agency: sample
          url: file:sample.xml
      """;

  @TempDir Path dir;

  private record Run(int exitCode, String err) {}

  private Run run(String... args) throws IOException {
    Path feeds = Files.writeString(dir.resolve("feeds.yaml"), FEEDS, UTF_8);
    Files.writeString(dir.resolve("sample.xml"), "<rss version=\"2.0\"><channel><title>t</title></channel></rss>", UTF_8);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = WireIngest.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 3];
    all[0] = "run";
    all[1] = "--feeds";
    all[2] = feeds.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return new Run(cl.execute(all), err.toString());
  }

  @Test
  void shouldExitWithOneAndNameTheDataDirWhenItIsAFile() throws IOException {
    Path notADir = Files.writeString(dir.resolve("data-file"), "x", UTF_8);

    Run r = run("--once", "--data-dir", notADir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("data dir " + notADir).contains("not a writable directory");
  }

  @Test
  void shouldExitWithOneAndNameTheBrokerWhenNoneAnswers() throws IOException {
    Run r = run("--once", "--data-dir", dir.resolve("data").toString(), "--bootstrap-servers", "127.0.0.1:1");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no Kafka broker answered at 127.0.0.1:1 within " + RunCommand.BROKER_CONTACT_TIMEOUT.toSeconds() + "s");
  }
}

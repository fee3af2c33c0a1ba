package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.model.FeedState;

/**
 * The status page in real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * driven by Selenium): what it shows with one healthy and one failing feed, sorting on a click, the
 * phone layout, and that a feed name cannot run script. Screenshots go to {@code
 * target/screenshots/}. Without {@value #CHROMIUM} the test fails under CI ({@code CI=true}) and is
 * skipped elsewhere.
 */
@Tag("browser")
class StatusPageBrowserTest {

  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final Instant NOW = Instant.now();

  static ChromeDriver browser;
  static Path profile;
  private OpsServer server;

  @BeforeAll
  static void startBrowser() throws IOException {
    boolean installed =
        Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
    if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(
          CHROMIUM
              + " or "
              + CHROMEDRIVER
              + " missing: .ci/run installs Debian's chromium and chromium-driver");
    }
    Assumptions.assumeTrue(
        installed,
        "status page browser test skipped: install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
    profile = Files.createTempDirectory("wire-ingest-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,800",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
    browser.manage().window().setSize(new Dimension(1280, 800));
  }

  static FeedSource source(String id, String name, String agency) {
    return TestFeeds.feed(id)
        .name(name)
        .agency(agency)
        .url("https://" + agency + ".example.org/" + id + ".xml")
        .build();
  }

  /**
   * Serves a board of a healthy TRT World feed and a failing Anadolu feed; returns the page's URL.
   */
  private String serveHealthyAndFailing() {
    FeedSource healthy = source("trtworld-main", "TRT World", "trtworld");
    FeedSource failing = source("aa-world", "Anadolu Agency", "aa");
    Map<String, FeedState> states =
        Map.of(
            "trtworld-main",
            FeedState.initial("trtworld-main", healthy.url().toString()).toBuilder()
                .lastFetchAt(NOW.minusSeconds(40))
                .lastSuccessAt(NOW.minusSeconds(40))
                .lastNewEntryAt(NOW.minusSeconds(900))
                .nextPollAt(NOW.plusSeconds(260))
                .build(),
            "aa-world",
            FeedState.initial("aa-world", failing.url().toString()).toBuilder()
                .lastFetchAt(NOW.minusSeconds(70))
                .lastSuccessAt(NOW.minus(Duration.ofHours(3)))
                .lastNewEntryAt(NOW.minus(Duration.ofHours(3)))
                .consecutiveErrors(4)
                .lastError("not-found: HTTP 404 from https://aa.example.org/aa-world.xml")
                .nextPollAt(NOW.plus(Duration.ofMinutes(40)))
                .build());
    return serve(List.of(healthy, failing), states);
  }

  private String serve(List<FeedSource> sources, Map<String, FeedState> states) {
    FeedBoard board =
        new FeedBoard(
            () -> sources,
            null,
            states::get,
            id -> id.equals("trtworld-main") ? 12 : 0,
            Clock.systemUTC());
    server =
        OpsServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            OpsRegistry.prometheus(),
            new Readiness(),
            board,
            null);
    return "http://127.0.0.1:" + server.port() + "/";
  }

  private static List<String> rowIds() {
    return browser.findElements(By.cssSelector("#feeds tbody tr")).stream()
        .map(r -> r.getAttribute("data-id"))
        .toList();
  }

  private static void screenshot(String name) throws IOException {
    Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void shouldShowTheHealthyAndTheFailingFeedWithTheirStates() throws IOException {
    browser.get(serveHealthyAndFailing());

    assertThat(browser.getTitle()).contains("wire-ingest");
    WebElement failing = browser.findElement(By.cssSelector("tr[data-id=aa-world]"));
    WebElement healthy = browser.findElement(By.cssSelector("tr[data-id=trtworld-main]"));
    assertThat(healthy.findElement(By.cssSelector(".name")).getText()).isEqualTo("TRT World");
    assertThat(healthy.findElement(By.cssSelector(".state")).getText()).isEqualTo("ok");
    assertThat(failing.findElement(By.cssSelector(".name")).getText()).isEqualTo("Anadolu Agency");
    assertThat(failing.findElement(By.cssSelector(".state")).getText()).isEqualTo("failing");
    assertThat(failing.findElement(By.cssSelector(".state")).getCssValue("background-color"))
        .isEqualTo("rgba(207, 34, 46, 1)");
    assertThat(failing.findElement(By.cssSelector("td[data-label='Last error']")).getText())
        .startsWith("not-found: HTTP 404");
    assertThat(failing.findElement(By.cssSelector("td[data-label=Errors]")).getText())
        .isEqualTo("4");
    assertThat(browser.findElement(By.id("summary")).getText())
        .isEqualTo("2 feeds · 1 failing · 1 ok");
    screenshot("status-page.png");
  }

  @Test
  void shouldSortByTheClickedColumnAndReverseOnASecondClick() {
    browser.get(serveHealthyAndFailing());
    assertThat(rowIds()).containsExactly("trtworld-main", "aa-world");

    browser.findElement(By.cssSelector("th button[data-col='2']")).click();
    assertThat(rowIds()).containsExactly("aa-world", "trtworld-main");
    assertThat(
            browser
                .findElement(By.xpath("//th[.//button[@data-col='2']]"))
                .getAttribute("aria-sort"))
        .isEqualTo("ascending");

    browser.findElement(By.cssSelector("th button[data-col='2']")).click();
    assertThat(rowIds()).containsExactly("trtworld-main", "aa-world");
    assertThat(browser.getCurrentUrl()).endsWith("#sort=2-descending");
  }

  @Test
  void shouldKeepTheSortAcrossAReload() {
    String url = serveHealthyAndFailing();
    browser.get(url + "#sort=8-ascending");

    assertThat(rowIds()).containsExactly("aa-world", "trtworld-main");
  }

  @Test
  void shouldLayOutFeedsAsCardsOnAPhone() throws IOException {
    browser.manage().window().setSize(new Dimension(390, 844));
    browser.get(serveHealthyAndFailing());

    assertThat(browser.findElement(By.cssSelector("#feeds thead")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.cssSelector("tr[data-id=aa-world] .state")).isDisplayed())
        .isTrue();
    Number scrollWidth =
        (Number) browser.executeScript("return document.documentElement.scrollWidth");
    assertThat(scrollWidth.intValue())
        .isLessThanOrEqualTo(
            ((Number) browser.executeScript("return window.innerWidth")).intValue());
    screenshot("status-page-phone.png");
  }

  @Test
  void shouldShowAScriptInAFeedNameAsTextWithoutRunningIt() {
    FeedSource evil =
        source(
            "evil",
            "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">",
            "evil");
    browser.get(serve(List.of(evil), Map.of()));

    assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined"))
        .isEqualTo(true);
    assertThat(browser.findElement(By.cssSelector("tr[data-id=evil] .name")).getText())
        .isEqualTo("<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">");
  }
}

package io.connectionmanager.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by its chromedriver
 * (explicit paths, so Selenium never downloads anything). Opens {@code /}, sees the
 * connection CONNECTED, clicks "Drop connections", sees it go through
 * RECONNECTING/CONNECTING and come back CONNECTED, and saves
 * {@code target/dashboard.png}. Without chromium and chromedriver the test is skipped,
 * unless {@code CI=true}, where it fails.
 */
@SampleAppTest
class DashboardBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	@LocalServerPort
	private int port;

	private ChromeDriverService service;

	private WebDriver browser;

	private Path profile;

	@BeforeAll
	static void chromiumIsInstalled() {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		String missing = "The browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
				+ " (Debian: apt-get install -y chromium chromium-driver)";
		if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
			fail(missing + "; CI=true, so this is a failure, not a skip");
		}
		assumeTrue(installed, missing + "; skipped");
	}

	@BeforeEach
	void openBrowser() throws IOException {
		System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
		this.profile = Files.createTempDirectory("sample-app-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1440,1000", "--user-data-dir=" + this.profile);
		this.service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(this.service, options);
	}

	@AfterEach
	void closeBrowser() {
		try {
			if (this.browser != null) {
				this.browser.quit();
			}
		}
		finally {
			if (this.service != null) {
				this.service.stop();
			}
			FileSystemUtils.deleteRecursively(this.profile.toFile());
		}
	}

	@Test
	void dropConnectionsAndWatchTheConnectionRecover() throws IOException {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		WebDriverWait wait = new WebDriverWait(this.browser, Duration.ofSeconds(20));
		wait.ignoring(StaleElementReferenceException.class); // the page re-renders as
																// events arrive
		By card = By.id("conn-market-data");
		wait.until(ExpectedConditions.attributeToBe(card, "data-state", "CONNECTED"));
		assertThat(this.browser.findElement(By.cssSelector("#conn-market-data .state")).getText())
			.isEqualTo("CONNECTED");
		wait.until((driver) -> driver.findElements(By.cssSelector("#quotes tr")).size() == 6);

		long clicked = System.currentTimeMillis();
		this.browser.findElement(By.id("feed-drop")).click();

		wait.until((driver) -> transitionsSince(driver, clicked).stream()
			.anyMatch((row) -> List.of("RECONNECTING", "CONNECTING").contains(row.getDomAttribute("data-to"))));
		wait.until((driver) -> transitionsSince(driver, clicked).stream()
			.anyMatch((row) -> "CONNECTED".equals(row.getDomAttribute("data-to"))));
		wait.until(ExpectedConditions.attributeToBe(card, "data-state", "CONNECTED"));
		assertThat(this.browser.findElement(By.cssSelector("#conn-market-data .transitions")).getText())
			.contains("CONNECTED → RECONNECTING")
			.contains("CONNECTION_LOST");
		assertThat(this.browser.findElement(By.id("last-action")).getText()).contains("Drop connections");

		File shot = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE);
		Path target = Path.of("target", "dashboard.png");
		Files.createDirectories(target.getParent());
		Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
		assertThat(target).isNotEmptyFile();
	}

	private static List<WebElement> transitionsSince(WebDriver driver, long since) {
		return driver.findElements(By.cssSelector("#conn-market-data .transitions tbody tr"))
			.stream()
			.filter((row) -> Long.parseLong(row.getDomAttribute("data-at")) >= since)
			.toList();
	}

}

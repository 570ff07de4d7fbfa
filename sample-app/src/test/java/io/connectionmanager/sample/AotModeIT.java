package io.connectionmanager.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as built by {@code ./mvnw verify}: processed by Spring AOT
 * ({@code spring-boot:process-aot}, with the one connection of its
 * {@code application.yml}), packaged, and started in a separate JVM with
 * {@code -Dspring.aot.enabled=true}, so that it runs from the generated bean definitions.
 * It connects and serves health; started with a second connection that did not exist at
 * build time, it has both.
 */
class AotModeIT {

	private static final Duration STARTUP = Duration.ofSeconds(60);

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	@TempDir
	private Path temp;

	private Process process;

	private Path log;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.process != null) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void connectsAndServesHealthInAotMode() {
		Api api = new Api(start());
		assertThat(log()).contains("Starting AOT-processed SampleApplication");
		await().atMost(STARTUP)
			.untilAsserted(() -> assertThat(api.get("/actuator/health").getBody())
				.satisfies((health) -> assertThat(Api.at(health, "status")).isEqualTo("UP"))
				.satisfies((health) -> assertThat(
						Api.at(health, "components.connections.components.market-data.details.state"))
					.isEqualTo("CONNECTED")));
		assertThat(Api.at(api.get("/actuator/connections/market-data").getBody(), "state")).isEqualTo("CONNECTED");
	}

	@Test
	void processedWithOneConnectionAndStartedWithTwoHasTwo() {
		Api api = new Api(start("--connection-manager.connections.probe.url=ws://127.0.0.1:${feed.port}/stream",
				"--connection-manager.connections.probe.critical=false"));
		assertThat(log()).contains("Starting AOT-processed SampleApplication");
		await().atMost(STARTUP).untilAsserted(() -> {
			Map<String, Object> health = api.get("/actuator/health").getBody();
			assertThat(Api.at(health, "components.connections.components.market-data.details.state"))
				.isEqualTo("CONNECTED");
			assertThat(Api.at(health, "components.connections.components.probe.details.state")).isEqualTo("CONNECTED");
		});
		assertThat(Api.at(api.get("/actuator/connections/probe").getBody(), "state")).isEqualTo("CONNECTED");
	}

	/** Starts the packaged sample in AOT mode and answers its HTTP port. */
	private int start(String... arguments) {
		String jar = System.getProperty("sample.jar");
		assertThat(jar).as("sample.jar (set by the failsafe configuration in sample-app/pom.xml)").isNotNull();
		assertThat(Paths.get(jar)).exists();
		List<String> command = new ArrayList<>(
				List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
						"-Dspring.aot.enabled=true", "-jar", jar, "--server.port=0", "--spring.main.banner-mode=off"));
		command.addAll(List.of(arguments));
		this.log = this.temp.resolve("sample.log");
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return await().atMost(STARTUP).until(() -> {
			assertThat(this.process.isAlive()).as("the sample exited:%n%s", log()).isTrue();
			Matcher matcher = PORT.matcher(log());
			return matcher.find() ? Integer.parseInt(matcher.group(1)) : null;
		}, (port) -> port != null);
	}

	private String log() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

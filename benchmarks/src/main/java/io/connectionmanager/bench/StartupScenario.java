package io.connectionmanager.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 3's start-up cost: how long {@code SpringApplication.run} takes for a small
 * non-web application with 10 connections defined, against the same application with
 * {@code connection-manager.enabled=false}, alternating in one JVM after a warm-up.
 * Connections do not auto-start, so no server or network time is counted: what is
 * measured is binding, validation, bean creation and the health/endpoint/metrics wiring.
 */
final class StartupScenario {

	private static final int CONNECTIONS = 10;

	private final Mode mode;

	StartupScenario(Mode mode) {
		this.mode = mode;
	}

	Map<String, Object> run() {
		int rounds = this.mode.name().equals("full") ? 30 : 10;
		for (int i = 0; i < 3; i++) {
			boot(true);
			boot(false);
		}
		List<Double> enabled = new ArrayList<>();
		List<Double> disabled = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			enabled.add(boot(true));
			disabled.add(boot(false));
		}
		double with = Stats.median(enabled);
		double without = Stats.median(disabled);
		Bench.log("startup: " + CONNECTIONS + " connections " + with + " ms, disabled " + without + " ms");
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("startup_ms_with_10_connections", round(with));
		results.put("startup_ms_without", round(without));
		results.put("startup_added_ms", round(with - without));
		results.put("startup_ratio", round(with / without));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("rounds", rounds);
		details.put("with_ms", enabled);
		details.put("without_ms", disabled);
		results.put("details", details);
		return results;
	}

	/**
	 * Milliseconds for one run of the application to a refreshed context, closing it
	 * afterwards.
	 */
	private static double boot(boolean connectionManager) {
		SpringApplication application = new SpringApplication(StartupApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> arguments = new ArrayList<>(List.of("--spring.main.banner-mode=off", "--logging.level.root=WARN",
				"--connection-manager.enabled=" + connectionManager,
				"--connection-manager.defaults.auto-startup=false"));
		for (int i = 0; i < CONNECTIONS; i++) {
			arguments.add("--connection-manager.connections.feed-" + i + ".url=ws://127.0.0.1:" + (20000 + i) + "/s");
		}
		long started = System.nanoTime();
		ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new));
		long ended = System.nanoTime();
		context.close();
		return Bench.millisSince(started, ended);
	}

	private static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class StartupApplication {

	}

}

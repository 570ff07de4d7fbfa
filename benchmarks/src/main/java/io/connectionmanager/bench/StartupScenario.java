package io.connectionmanager.bench;

import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 * <p>
 * Quick and full use the same procedure, in a fresh JVM of its own
 * ({@link #runInChildJvm()}), so that they agree and nothing that ran before (a
 * half-finished JIT queue, a heap full of another scenario's garbage) falls on one side:
 * warm-up pairs until a pair costs the JIT compiler less than {@value #QUIET_JIT_MS} ms
 * three times in a row (at least {@value #MIN_WARMUP_PAIRS}, at most
 * {@value #MAX_WARMUP_PAIRS}), then {@value #ROUNDS} rounds, the order within a round
 * alternating. Each boot records the garbage-collection time, the classes loaded and the
 * JIT compilation time it saw, which tell where an outlier's time went: on 2 cores, a
 * boot during which the JIT compiles for 500 ms takes hundreds of ms longer.
 * <p>
 * The keys use the CPU time of the thread that runs {@code SpringApplication.run}: the
 * work the start-up does, which neither other processes on a shared machine nor the JIT
 * compiler's threads can stretch (wall time is in the {@code startup_wall_*} keys; the
 * application does no I/O beyond reading the classpath).
 */
final class StartupScenario {

	private static final int CONNECTIONS = 10;

	static final int MIN_WARMUP_PAIRS = 15;

	static final int MAX_WARMUP_PAIRS = 40;

	static final long QUIET_JIT_MS = 20;

	static final int ROUNDS = 24;

	/**
	 * Runs the scenario in a child JVM ({@code -Xmx512m}, G1) on this classpath and
	 * returns its results.
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> runInChildJvm() throws Exception {
		Path out = Files.createTempFile("startup", ".ser");
		try {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			Process child = new ProcessBuilder(java, "-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-cp",
					System.getProperty("java.class.path"), StartupScenario.class.getName(), out.toString())
				.inheritIO()
				.start();
			if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0) {
				child.destroyForcibly();
				throw new IllegalStateException("startup scenario JVM failed");
			}
			try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(out))) {
				return (Map<String, Object>) in.readObject();
			}
		}
		finally {
			Files.deleteIfExists(out);
		}
	}

	/** The child JVM: runs the scenario and writes its results to {@code args[0]}. */
	public static void main(String[] args) throws Exception {
		Map<String, Object> results = new StartupScenario().run();
		try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(Path.of(args[0])))) {
			out.writeObject(results);
		}
		System.exit(0);
	}

	Map<String, Object> run() {
		List<Long> warmupJitMs = new ArrayList<>();
		int quiet = 0;
		while (warmupJitMs.size() < MAX_WARMUP_PAIRS && (warmupJitMs.size() < MIN_WARMUP_PAIRS || quiet < 3)) {
			long jit = boot(true).jitMs() + boot(false).jitMs();
			warmupJitMs.add(jit);
			quiet = (jit < QUIET_JIT_MS) ? quiet + 1 : 0;
		}
		System.gc();
		List<Boot> enabled = new ArrayList<>();
		List<Boot> disabled = new ArrayList<>();
		List<Double> added = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			Boot with;
			Boot without;
			if (round % 2 == 0) {
				with = boot(true);
				without = boot(false);
			}
			else {
				without = boot(false);
				with = boot(true);
			}
			enabled.add(with);
			disabled.add(without);
			added.add(with.ms() - without.ms());
			ratios.add(with.ms() / without.ms());
		}
		double with = Stats.median(enabled.stream().map(Boot::ms).toList());
		double without = Stats.median(disabled.stream().map(Boot::ms).toList());
		double addedMedian = Stats.median(added);
		List<Double> addedWall = new ArrayList<>();
		for (int i = 0; i < ROUNDS; i++) {
			addedWall.add(enabled.get(i).wallMs() - disabled.get(i).wallMs());
		}
		Bench.log("startup: " + CONNECTIONS + " connections " + round(with) + " ms CPU, disabled " + round(without)
				+ " ms CPU, added (median of rounds) " + round(addedMedian) + " ms CPU, "
				+ round(Stats.median(addedWall)) + " ms wall");
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("startup_ms_with_10_connections", round(with));
		results.put("startup_ms_without", round(without));
		results.put("startup_added_ms", round(addedMedian));
		results.put("startup_added_ms_p25_p75", Stats.quartiles(added, 2));
		results.put("startup_ratio", round(Stats.median(ratios)));
		results.put("startup_ratio_p25_p75", Stats.quartiles(ratios, 2));
		results.put("startup_wall_ms_with_10_connections",
				round(Stats.median(enabled.stream().map(Boot::wallMs).toList())));
		results.put("startup_wall_ms_without", round(Stats.median(disabled.stream().map(Boot::wallMs).toList())));
		results.put("startup_added_wall_ms", round(Stats.median(addedWall)));
		results.put("startup_added_wall_ms_p25_p75", Stats.quartiles(addedWall, 2));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("jvm", "a child JVM of its own, -Xms256m -Xmx512m, G1");
		details.put("warmup_pairs", warmupJitMs.size());
		details.put("warmup_jit_ms_per_pair", warmupJitMs);
		details.put("rounds", ROUNDS);
		details.put("measure", "CPU time of the thread running SpringApplication.run (wall time in the *_wall_* keys)");
		details.put("with_cpu_ms", Stats.rounded(enabled.stream().map(Boot::ms).toList(), 1));
		details.put("without_cpu_ms", Stats.rounded(disabled.stream().map(Boot::ms).toList(), 1));
		details.put("added_cpu_ms_per_round", Stats.rounded(added, 1));
		details.put("with_wall_ms", Stats.rounded(enabled.stream().map(Boot::wallMs).toList(), 1));
		details.put("without_wall_ms", Stats.rounded(disabled.stream().map(Boot::wallMs).toList(), 1));
		details.put("added_wall_ms_per_round", Stats.rounded(addedWall, 1));
		details.put("with_gc_ms", enabled.stream().map(Boot::gcMs).toList());
		details.put("without_gc_ms", disabled.stream().map(Boot::gcMs).toList());
		details.put("with_classes_loaded", enabled.stream().map(Boot::classesLoaded).toList());
		details.put("without_classes_loaded", disabled.stream().map(Boot::classesLoaded).toList());
		details.put("with_jit_ms", enabled.stream().map(Boot::jitMs).toList());
		details.put("without_jit_ms", disabled.stream().map(Boot::jitMs).toList());
		results.put("details", details);
		return results;
	}

	/**
	 * One run of the application to a refreshed context, closing it afterwards.
	 */
	private static Boot boot(boolean connectionManager) {
		SpringApplication application = new SpringApplication(StartupApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> arguments = new ArrayList<>(List.of("--spring.main.banner-mode=off", "--logging.level.root=WARN",
				"--connection-manager.enabled=" + connectionManager,
				"--connection-manager.defaults.auto-startup=false"));
		for (int i = 0; i < CONNECTIONS; i++) {
			arguments.add("--connection-manager.connections.feed-" + i + ".url=ws://127.0.0.1:" + (20000 + i) + "/s");
		}
		long gc = gcMillis();
		long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
		long jit = jitMillis();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpuStarted = threads.getCurrentThreadCpuTime();
		long started = System.nanoTime();
		ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new));
		long ended = System.nanoTime();
		long cpuEnded = threads.getCurrentThreadCpuTime();
		Boot boot = new Boot((cpuEnded - cpuStarted) / 1e6, Bench.millisSince(started, ended), gcMillis() - gc,
				ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - classes, jitMillis() - jit);
		context.close();
		return boot;
	}

	private static long gcMillis() {
		long total = 0;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			total += Math.max(0, gc.getCollectionTime());
		}
		return total;
	}

	private static long jitMillis() {
		var compilation = ManagementFactory.getCompilationMXBean();
		return (compilation != null && compilation.isCompilationTimeMonitoringSupported())
				? compilation.getTotalCompilationTime() : 0;
	}

	private static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

	/** One boot: its time and what the JVM did meanwhile. */
	record Boot(double ms, double wallMs, long gcMs, long classesLoaded, long jitMs) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class StartupApplication {

	}

}

package io.connectionmanager.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The harness's arithmetic and writers; runs in milliseconds (no benchmark runs in
 * {@code ./mvnw verify}).
 */
class HarnessTests {

	@Test
	void nearestRankPercentiles() {
		List<Double> samples = new ArrayList<>();
		for (int i = 1; i <= 100; i++) {
			samples.add((double) i);
		}
		assertThat(Stats.percentile(samples, 50)).isEqualTo(50);
		assertThat(Stats.percentile(samples, 99)).isEqualTo(99);
		assertThat(Stats.percentile(samples, 100)).isEqualTo(100);
		assertThat(Stats.median(List.of(1, 2, 3, 10))).isEqualTo(2.5);
	}

	@Test
	void peakToMeanCountsBucketsFromTheRestartToTheLastReconnect() {
		long ms = TimeUnit.MILLISECONDS.toNanos(1);
		long kill = 0;
		long restart = 1_000 * ms;
		List<Long> attempts = new ArrayList<>();
		attempts.add(250 * ms); // refused while down: plotted, not in the window
		for (int i = 0; i < 30; i++) {
			attempts.add(restart + 10 * ms); // bucket 0
		}
		for (int i = 0; i < 10; i++) {
			attempts.add(restart + 150 * ms); // bucket 1
		}
		for (int i = 0; i < 20; i++) {
			attempts.add(restart + 250 * ms); // bucket 2
		}
		StormScenario.Storm storm = StormScenario.Storm.of(attempts, 50, kill, restart, restart + 260 * ms, 7, 0);
		// 3 buckets, 60 attempts, mean 20, peak 30; 50 clients: ideal 50 / 3 per bucket.
		assertThat(storm.attemptsInWindow()).isEqualTo(60);
		assertThat(storm.windowBuckets()).isEqualTo(3);
		assertThat(storm.peak()).isEqualTo(30);
		assertThat(storm.peakToMean()).isCloseTo(1.5, within(1e-9));
		assertThat(storm.peakToIdeal()).isCloseTo(30 / (50 / 3.0), within(1e-9));
		assertThat(storm.attemptsSinceKill()).isEqualTo(61);
		assertThat(storm.counts()).hasSize(10 + 3);
		assertThat(storm.bucketStartMs()[0]).isEqualTo(-1000);
	}

	@Test
	void writesJsonThatKeepsOrderAndEscapes(@TempDir Path dir) throws Exception {
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("b", 1.0);
		results.put("a", "quote \" and \\ and\nnewline");
		results.put("nan", Double.NaN);
		results.put("list", List.of(1, 2.5));
		results.put("object", Map.of("x", true));
		Path file = dir.resolve("r.json");
		ResultsWriter.writeJson(file, results);
		String json = Files.readString(file);
		assertThat(json.indexOf("\"b\"")).isLessThan(json.indexOf("\"a\""));
		assertThat(json).contains("\"b\": 1,")
			.contains("\"quote \\\" and \\\\ and\\nnewline\"")
			.contains("\"nan\": null")
			.contains("[1, 2.5]")
			.contains("\"x\": true");
	}

	@Test
	void summaryTableShowsTheSpreadAndWhetherEachGoalIsMet(@TempDir Path dir) throws Exception {
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("mode", "quick");
		results.put("machine", Map.of("cores", 2, "jdk", "17"));
		List<ResultsWriter.Row> rows = List.of(
				new ResultsWriter.Row("cpu_ns_per_message_ratio", 1.02, List.of(0.98, 1.07), null, "<= 1.05", true),
				new ResultsWriter.Row("heap_ratio_to_raw", 2.5, null, null, "<= 1.5", false));
		Path file = dir.resolve("r.md");
		ResultsWriter.writeMarkdown(file, results, rows, List.of(), List.of());
		assertThat(Files.readString(file))
			.contains("| `cpu_ns_per_message_ratio` | 1.02 | [0.98, 1.07] | - | <= 1.05 | met |")
			.contains("| `heap_ratio_to_raw` | 2.5 |  | - | <= 1.5 | **not met** |");
		assertThat(Stats.quartiles(List.of(1, 2, 3, 4, 5, 6, 7, 8), 1)).containsExactly(2.0, 6.0);
	}

	@Test
	void detailSectionsListEveryStormFleetAndTheStartUp() {
		Map<String, Object> storm = new LinkedHashMap<>();
		storm.put("default", Map.of("peak_to_ideal_per_repeat", List.of(1.27), "window_buckets", List.of(15)));
		storm.put("connections", 1000);
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("storm", storm);
		details.put("startup", Map.of("rounds", 24));
		String markdown = String.join("\n", MarkdownSections.of(Map.of(), details));
		assertThat(markdown).contains("| default | [1.27] |").contains("## Start-up").contains("- rounds: 24");
	}

}

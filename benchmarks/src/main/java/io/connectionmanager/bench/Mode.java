package io.connectionmanager.bench;

/**
 * The sizes and durations of one benchmark run. {@code quick} fits in 5 minutes on 2
 * cores (build included), {@code full} in 30.
 *
 * @param name quick or full
 * @param scaleConnections N for the scale scenario
 * @param scaleHoldSeconds how long the N connections stay up (heartbeats running) before
 * measuring
 * @param warmupSeconds throughput warm-up per client kind
 * @param rounds alternating measurement rounds for throughput and latency
 * @param roundMillis throughput measurement per client kind per round (in 10 interleaved
 * slices)
 * @param latencySamples echo round trips per client kind per round (as many again per
 * connection for warm-up)
 * @param stormConnections connections in the reconnect storm
 * @param stormRepeats storms per jitter mode (the median peak-to-mean is reported)
 * @param detectionRounds freezes in the dead-peer scenario
 * @param detectionConnections connections of each client frozen per round
 * @param recoveryTrials server restarts in the recovery scenario
 * @param recoveryConnections connections of each client per restart
 */
record Mode(String name, int scaleConnections, int scaleHoldSeconds, int warmupSeconds, int rounds, int roundMillis,
		int latencySamples, int stormConnections, int stormRepeats, int detectionRounds, int detectionConnections,
		int recoveryTrials, int recoveryConnections) {

	static Mode of(String name) {
		return switch (name) {
			case "quick" -> new Mode("quick", 2_000, 6, 2, 16, 500, 3_000, 1_000, 1, 3, 20, 5, 10);
			case "full" -> new Mode("full", 19_000, 8, 4, 60, 1_000, 5_000, 1_000, 3, 15, 20, 30, 10);
			default -> throw new IllegalArgumentException("mode must be quick or full, not " + name);
		};
	}

}

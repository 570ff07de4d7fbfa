package io.connectionmanager.core.config;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.connectionmanager.core.backoff.RandomizedOpenStateWait;
import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * The per-connection circuit breaker, in Resilience4j's names and meanings. Each connect
 * attempt is one call.
 *
 * @param enabled whether attempts go through a breaker
 * @param failureRateThreshold failure percentage (0-100] that opens the breaker
 * @param minimumNumberOfCalls attempts recorded before the rate is evaluated
 * @param slidingWindowSize attempts in the count-based window
 * @param waitDurationInOpenState how long the breaker stays open before allowing a probe
 * @param permittedNumberOfCallsInHalfOpenState probe attempts while half-open
 * @param randomizedWaitFactor spread of the open-state wait, in [0, 1): each opening
 * waits a random duration in {@code wait × (1 ± factor)} (Resilience4j's randomized
 * interval function), so that connections whose breakers opened together do not probe
 * together; 0 waits exactly {@code wait}
 */
public record CircuitBreakerSettings(boolean enabled, float failureRateThreshold, int minimumNumberOfCalls,
		int slidingWindowSize, Duration waitDurationInOpenState, int permittedNumberOfCallsInHalfOpenState,
		double randomizedWaitFactor) {

	/** Default for {@code circuit-breaker.randomized-wait-factor}. */
	public static final double DEFAULT_RANDOMIZED_WAIT_FACTOR = 0.5;

	public CircuitBreakerSettings(boolean enabled, float failureRateThreshold, int minimumNumberOfCalls,
			int slidingWindowSize, Duration waitDurationInOpenState, int permittedNumberOfCallsInHalfOpenState) {
		this(enabled, failureRateThreshold, minimumNumberOfCalls, slidingWindowSize, waitDurationInOpenState,
				permittedNumberOfCallsInHalfOpenState, DEFAULT_RANDOMIZED_WAIT_FACTOR);
	}

	public CircuitBreakerSettings {
		if (enabled) {
			if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
				throw new InvalidConnectionSettingException("circuit-breaker.failure-rate-threshold",
						failureRateThreshold, Reason.OUT_OF_RANGE, "must be in (0, 100]");
			}
			// Resilience4j keeps an array of window-size entries: bounded so that a typo
			// cannot exhaust the heap.
			Settings.between("circuit-breaker.minimum-number-of-calls", minimumNumberOfCalls, 1, MAX_CALLS);
			Settings.between("circuit-breaker.sliding-window-size", slidingWindowSize, 1, MAX_CALLS);
			Settings.positive("circuit-breaker.wait-duration-in-open-state", waitDurationInOpenState);
			if (waitDurationInOpenState.toMillis() < 1) {
				throw new InvalidConnectionSettingException("circuit-breaker.wait-duration-in-open-state",
						waitDurationInOpenState, Reason.TOO_SMALL, "must be at least 1ms");
			}
			Settings.between("circuit-breaker.permitted-number-of-calls-in-half-open-state",
					permittedNumberOfCallsInHalfOpenState, 1, MAX_CALLS);
			if (!(randomizedWaitFactor >= 0 && randomizedWaitFactor < 1)) {
				throw new InvalidConnectionSettingException("circuit-breaker.randomized-wait-factor",
						randomizedWaitFactor, Reason.OUT_OF_RANGE, "must be in [0, 1)");
			}
		}
	}

	/** The largest window (and call counts) accepted. */
	public static final int MAX_CALLS = 10_000;

	// Shared instances: settings are immutable, and a fleet of connections built with the
	// defaults should not carry a copy each.
	private static final CircuitBreakerSettings DEFAULTS = new CircuitBreakerSettings(true, 50, 5, 10,
			Duration.ofSeconds(60), 1);

	private static final CircuitBreakerSettings DISABLED = new CircuitBreakerSettings(false, 50, 5, 10,
			DEFAULTS.waitDurationInOpenState(), 1);

	/**
	 * Configurations are immutable and shared by every breaker with the same settings and
	 * clock (a configuration is about 380 bytes, a third of a breaker). Bounded, so that
	 * code creating settings or clocks without end (tests on virtual time) cannot grow it
	 * without limit.
	 */
	private static final int MAX_SHARED_CONFIGS = 256;

	private static final Map<ConfigKey, CircuitBreakerConfig> CONFIGS = new ConcurrentHashMap<>();

	public static CircuitBreakerSettings defaults() {
		return DEFAULTS;
	}

	public static CircuitBreakerSettings disabled() {
		return DISABLED;
	}

	/**
	 * The Resilience4j configuration, on the given clock so that tests can drive it with
	 * virtual time.
	 */
	public CircuitBreakerConfig toConfig(Clock clock) {
		CircuitBreakerConfig shared = CONFIGS.get(new ConfigKey(this, clock));
		if (shared != null) {
			return shared;
		}
		CircuitBreakerConfig config = newConfig(clock);
		if (CONFIGS.size() < MAX_SHARED_CONFIGS) {
			CircuitBreakerConfig raced = CONFIGS.putIfAbsent(new ConfigKey(this, clock), config);
			return (raced != null) ? raced : config;
		}
		return config;
	}

	private CircuitBreakerConfig newConfig(Clock clock) {
		return CircuitBreakerConfig.custom()
			.failureRateThreshold(this.failureRateThreshold)
			.minimumNumberOfCalls(this.minimumNumberOfCalls)
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(this.slidingWindowSize)
			.waitIntervalFunctionInOpenState(
					RandomizedOpenStateWait.of(this.waitDurationInOpenState, this.randomizedWaitFactor))
			.permittedNumberOfCallsInHalfOpenState(this.permittedNumberOfCallsInHalfOpenState)
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			.recordExceptions(Throwable.class)
			.clock(clock)
			.build();
	}

	private record ConfigKey(CircuitBreakerSettings settings, Clock clock) {
	}

}

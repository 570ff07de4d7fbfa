package io.connectionmanager.cluster;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LeaseTimingsTests {

	@Test
	void everyTimingFollowsFromTheLease() {
		LeaseTimings timings = LeaseTimings.of(Duration.ofSeconds(10), null);
		assertThat(timings.tick()).isEqualTo(Duration.ofSeconds(1));
		assertThat(timings.fenceAfter()).isEqualTo(Duration.ofSeconds(5));
		assertThat(timings.watch()).isEqualTo(Duration.ofMillis(500));
		assertThat(timings.takeoverDelay()).isEqualTo(Duration.ofMillis(2500));
		// A lapsed holder starts closing before the lease can expire, with room to spare.
		assertThat(timings.fenceAfter().plus(timings.watch())).isLessThan(timings.lease());
		assertThat(timings.operationsPerSecondPerThousand()).isEqualTo(1000.0);
	}

	@Test
	void aTakeoverDelayMustOutlastOneTickAndStayBelowTheLease() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LeaseTimings.of(Duration.ofSeconds(10), Duration.ofSeconds(1)))
			.withMessageContaining("takeover-delay");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LeaseTimings.of(Duration.ofSeconds(10), Duration.ofSeconds(10)))
			.withMessageContaining("takeover-delay");
		assertThat(LeaseTimings.of(Duration.ofSeconds(10), Duration.ofSeconds(3)).takeoverDelay())
			.isEqualTo(Duration.ofSeconds(3));
		assertThatIllegalArgumentException().isThrownBy(() -> LeaseTimings.of(Duration.ofMillis(500), null))
			.withMessageContaining("lease");
	}

}

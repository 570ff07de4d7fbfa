package io.connectionmanager.sample.feed;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the simulated exchange on the port published by
 * {@link EmbeddedFeedEnvironmentPostProcessor}. The feed listens as soon as this bean
 * exists, before any connection starts, and is closed after them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "feed.embedded", matchIfMissing = true)
class EmbeddedFeedConfiguration {

	@Bean(destroyMethod = "close")
	SimulatedFeed simulatedFeed(FeedProperties properties) {
		return SimulatedFeed.start(properties.toOptions());
	}

}

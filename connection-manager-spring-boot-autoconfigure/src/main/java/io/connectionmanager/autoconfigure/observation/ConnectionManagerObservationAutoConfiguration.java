package io.connectionmanager.autoconfigure.observation;

import io.connectionmanager.autoconfigure.ConnectionDefinitions;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Records each connect attempt ({@code connection.manager.connect}) and each outage
 * ({@code connection.manager.outage}) of the auto-configured connections as Micrometer
 * observations, when the application has an {@link ObservationRegistry} (Spring Boot's
 * actuator provides one) and connection management is enabled. Meters come from the
 * registry's handlers, spans too when Micrometer Tracing is present. Conventions are
 * replaced by declaring a {@link ConnectObservationConvention} or
 * {@link OutageObservationConvention} bean.
 */
@AutoConfiguration(after = ConnectionManagerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, ConnectionDefinitions.class })
public final class ConnectionManagerObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ConnectionObservationCustomizer connectionManagerObservationCustomizer(ObservationRegistry registry,
			ObjectProvider<ConnectObservationConvention> connectConvention,
			ObjectProvider<OutageObservationConvention> outageConvention) {
		return new ConnectionObservationCustomizer(registry, connectConvention.getIfAvailable(),
				outageConvention.getIfAvailable());
	}

}

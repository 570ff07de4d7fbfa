package io.connectionmanager.autoconfigure.endpoint;

import io.connectionmanager.actuate.endpoint.ConnectionManagerSanitizingFunction;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Masks connection secrets (header values, passwords) in the {@code configprops} and
 * {@code env} endpoints. Not tied to {@code connection-manager.enabled}: the secrets are
 * in the environment either way.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class ConnectionManagerSanitizingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "connectionManagerSanitizingFunction")
	SanitizingFunction connectionManagerSanitizingFunction() {
		return new ConnectionManagerSanitizingFunction();
	}

}

package io.connectionmanager.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A market-data subscriber. Its connection is declared in {@code application.yml}
 * ({@code connection-manager.connections.market-data}); its protocol is
 * {@code market.MarketDataHandler}; the dashboard at {@code /} shows the connection
 * recover while the embedded simulated exchange ({@code feed}) is told to misbehave.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}

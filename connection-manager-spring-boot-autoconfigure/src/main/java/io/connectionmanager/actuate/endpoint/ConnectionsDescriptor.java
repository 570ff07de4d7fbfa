package io.connectionmanager.actuate.endpoint;

import java.util.Map;

import io.connectionmanager.actuate.ConnectionStatus;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * Every connection, by name, in declaration order.
 *
 * @param connections each connection's {@link ConnectionStatus status}
 */
public record ConnectionsDescriptor(Map<String, Map<String, Object>> connections) implements OperationResponseBody {

}

package io.connectionmanager.actuate.endpoint;

import java.util.Map;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * Every connection, by name, in declaration order.
 *
 * @param connections the connections
 */
public record ConnectionsDescriptor(Map<String, ConnectionDescriptor> connections) implements OperationResponseBody {

}

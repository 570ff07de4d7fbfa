#!/usr/bin/env bash
# Regenerates the committed test TLS material (see README.md). Needs only the JDK's keytool.
# A throw-away CA signs two EC server certificates; only the CA *certificate* is kept (in the trust store).
# A second throw-away CA signs two client certificates for mutual TLS (client.p12, client-renewed.p12);
# servers that require a client certificate trust it through client-truststore.p12.
set -euo pipefail
cd "$(dirname "$0")"
OUT=src/main/resources/io/connectionmanager/test/tls
PW=changeit
DAYS=36500
START="2020/01/01 00:00:00"  # backdated so that a machine with a skewed clock still accepts it
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
rm -f "$OUT"/*.p12

keytool -genkeypair -alias ca -keyalg EC -groupname secp256r1 -startdate "$START" -validity "$DAYS" \
  -dname "CN=connection-manager test CA" -ext bc:c -ext ku=keyCertSign,cRLSign \
  -keystore "$TMP/ca.p12" -storetype PKCS12 -storepass "$PW"
keytool -exportcert -rfc -alias ca -keystore "$TMP/ca.p12" -storepass "$PW" -file "$TMP/ca.pem"

# leaf NAME CN SAN: an EC key pair signed by the CA, stored with its chain under alias "server".
leaf() {
  local ks="$OUT/$1.p12"
  keytool -genkeypair -alias server -keyalg EC -groupname secp256r1 -startdate "$START" -validity "$DAYS" \
    -dname "CN=$2" -keystore "$ks" -storetype PKCS12 -storepass "$PW"
  keytool -certreq -alias server -keystore "$ks" -storepass "$PW" -file "$TMP/$1.csr"
  keytool -gencert -alias ca -keystore "$TMP/ca.p12" -storepass "$PW" -startdate "$START" -validity "$DAYS" -rfc \
    -infile "$TMP/$1.csr" -outfile "$TMP/$1.pem" -ext "SAN=$3" -ext ku=digitalSignature -ext eku=serverAuth
  keytool -importcert -noprompt -alias ca -file "$TMP/ca.pem" -keystore "$ks" -storepass "$PW"
  keytool -importcert -alias server -file "$TMP/$1.pem" -keystore "$ks" -storepass "$PW"
  keytool -delete -alias ca -keystore "$ks" -storepass "$PW"
}
leaf server localhost "dns:localhost,ip:127.0.0.1"
leaf server-wrong-host wrong-host.invalid "dns:wrong-host.invalid"

keytool -importcert -noprompt -alias test-ca -file "$TMP/ca.pem" \
  -keystore "$OUT/truststore.p12" -storetype PKCS12 -storepass "$PW"
keytool -list -keystore "$OUT/truststore.p12" -storepass "$PW"

# Client certificates for mutual TLS, from a CA of their own.
client_ca() {
  keytool -genkeypair -alias client-ca -keyalg EC -groupname secp256r1 -startdate "$START" -validity "$DAYS" \
    -dname "CN=connection-manager test client CA" -ext bc:c -ext ku=keyCertSign,cRLSign \
    -keystore "$TMP/client-ca.p12" -storetype PKCS12 -storepass "$PW"
  keytool -exportcert -rfc -alias client-ca -keystore "$TMP/client-ca.p12" -storepass "$PW" -file "$TMP/client-ca.pem"
  keytool -importcert -noprompt -alias test-client-ca -file "$TMP/client-ca.pem" \
    -keystore "$OUT/client-truststore.p12" -storetype PKCS12 -storepass "$PW"
}
# client NAME CN: an EC key pair signed by the client CA, stored with its chain under alias "client".
client() {
  local ks="$OUT/$1.p12"
  keytool -genkeypair -alias client -keyalg EC -groupname secp256r1 -startdate "$START" -validity "$DAYS" \
    -dname "CN=$2" -keystore "$ks" -storetype PKCS12 -storepass "$PW"
  keytool -certreq -alias client -keystore "$ks" -storepass "$PW" -file "$TMP/$1.csr"
  keytool -gencert -alias client-ca -keystore "$TMP/client-ca.p12" -storepass "$PW" -startdate "$START" \
    -validity "$DAYS" -rfc -infile "$TMP/$1.csr" -outfile "$TMP/$1.pem" -ext ku=digitalSignature -ext eku=clientAuth
  keytool -importcert -noprompt -alias client-ca -file "$TMP/client-ca.pem" -keystore "$ks" -storepass "$PW"
  keytool -importcert -alias client -file "$TMP/$1.pem" -keystore "$ks" -storepass "$PW"
  keytool -delete -alias client-ca -keystore "$ks" -storepass "$PW"
}
client_ca
client client "connection-manager test client"
client client-renewed "connection-manager test client renewed"

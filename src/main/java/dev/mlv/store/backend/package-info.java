/**
 * Backends move opaque objects by key and know nothing of packs: a local directory and S3 (any
 * S3-compatible service), both held to one contract suite in the tests. The only place that uses
 * the AWS SDK. {@code RemoteLocation} parses a store URL; credentials never pass through here.
 */
package dev.mlv.store.backend;

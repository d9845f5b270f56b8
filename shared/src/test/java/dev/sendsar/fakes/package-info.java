/** In-memory twins of the ports and hand-wired configuration, for tests. */
package dev.sendsar.fakes;

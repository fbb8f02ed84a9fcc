//go:build race

package archive_test

// raceEnabled: the race detector makes each process of TestArchiveKill9
// several times slower, so under it the test kills at every other write.
const raceEnabled = true

// The ptmodel command line: every subcommand, with its options and report.
#pragma once

// Runs `ptmodel ARGS...` (argv[0] is the program's name) and returns its exit
// status: 0 all good, 1 an expectation or property failed, 2 bad input or
// usage, or a report that could not be written, 3 a limit reached. Every
// exception is caught here with a message on stderr; nothing aborts.
int ptmodel_command(int argc, char** argv);

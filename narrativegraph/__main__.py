from narrativegraph.cli import main

main()

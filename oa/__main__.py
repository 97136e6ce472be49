from oa.cli.app import main

main()

from yizhan.cli import main

main()

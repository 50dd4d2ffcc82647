from supple.cli import main

raise SystemExit(main())

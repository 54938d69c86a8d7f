"""One module per `mock-okta` command. Each is cheap to import: the app imports them all to list them in --help, so
what a command needs to run (the hook layer, the org, the web app, rich's panels) is imported when it runs."""

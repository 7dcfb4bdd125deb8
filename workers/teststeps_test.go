package workers

import _ "github.com/curator-dev/curator/internal/teststeps" // the test_ steps

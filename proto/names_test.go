package curatorpb

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
)

func TestNames(t *testing.T) {
	if got := TaskSubject("r1"); got != "curator.task.r1" {
		t.Errorf("TaskSubject = %s", got)
	}
	if got := ResultSubject("r1"); got != "curator.result.r1" {
		t.Errorf("ResultSubject = %s", got)
	}
	if got := StatusSubject("r1"); got != "curator.status.r1" {
		t.Errorf("StatusSubject = %s", got)
	}
	if got := MaxDeliveriesAdvisory("r1"); got != "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.CURATOR_TASKS_r1.workers" {
		t.Errorf("MaxDeliveriesAdvisory = %s", got)
	}
	if JobName(3, nil) != "3" || JobName(3, &Resume{Node: 7}) != "3.n7" {
		t.Errorf("job names %q %q", JobName(3, nil), JobName(3, &Resume{Node: 7}))
	}
	if TaskMsgID("r", "3") == ResultMsgID("r", "3") || TaskMsgID("r", "3") == TaskMsgID("r", "4") ||
		TaskMsgID("r", JobName(3, nil)) == TaskMsgID("r", JobName(3, &Resume{Node: 0})) {
		t.Error("message ids collide")
	}
	for id, ok := range map[string]bool{"20260101T000000-abc": true, "a_b": true, "": false, "a.b": false, "a b": false,
		"a*": false, strings.Repeat("x", 65): false} {
		if ValidRunID(id) != ok {
			t.Errorf("ValidRunID(%q) = %v", id, !ok)
		}
	}
}

func TestCheckVersion(t *testing.T) {
	if err := CheckVersion("task", Version); err != nil {
		t.Error(err)
	}
	for _, v := range []uint32{0, Version + 1} {
		if err := CheckVersion("task", v); err == nil || !strings.Contains(err.Error(), "task message version") {
			t.Errorf("version %d: %v", v, err)
		}
	}
}

// TestNewerFieldsIgnored: a message from a newer writer still decodes, so
// that its version can be read and refused with a clear error.
func TestNewerFieldsIgnored(t *testing.T) {
	b, err := proto.Marshal(&Task{Version: 2, RunId: "r", Index: 5})
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, 0xa8, 0x06, 0x01) // field 101, varint 1: unknown here
	var task Task
	if err := proto.Unmarshal(b, &task); err != nil {
		t.Fatal(err)
	}
	if task.GetIndex() != 5 || CheckVersion("task", task.GetVersion()) == nil {
		t.Errorf("decoded %v", &task)
	}
}

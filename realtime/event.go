package realtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Event is one message on a channel. Seq is assigned by the Broker at
// Publish: it starts at 1 on each channel and grows by one per event, so every
// node and every client sees the same order. Private messages sent to one
// client (Hub.SendTo) carry Seq 0 and are never stored in history. Data is the
// JSON payload chosen by the publisher; Time is the broker's clock at Publish.
// To is set only while a private message travels between nodes
// (Broker.Send): the user whose connections receive it; clients never see it.
type Event struct {
	Channel string          `json:"channel"`
	Seq     uint64          `json:"seq"`
	Type    string          `json:"type"`
	Data    json.RawMessage `json:"data,omitempty"`
	Time    time.Time       `json:"time"`
	To      string          `json:"to,omitempty"`
}

// Wire message types reserved by the protocol (PROTOCOL.md); Publish rejects
// them as event types.
const (
	TypeWelcome  = "welcome"
	TypeSnapshot = "snapshot"
	TypePong     = "pong"
)

// Close codes sent in websocket close frames (RFC 6455 section 7.4.2 reserves
// 4000-4999 for applications). A client that receives CloseSlow or
// CloseResync reconnects with since=<last seq it applied>; one that
// receives CloseReconnect does the same after a random wait of up to a
// second, so that a node's clients do not all arrive on the others at once.
const (
	CloseSlow      = 4000 // the client's send queue overflowed
	CloseResync    = 4001 // the node lost events of the channel; resume from history
	CloseReconnect = 4002 // the node is shutting down (Hub.Close): reconnect, the load balancer picks another node
)

// Errors returned by this package; test them with errors.Is.
var (
	ErrInvalidChannel = errors.New("realtime: invalid channel name")
	ErrInvalidType    = errors.New("realtime: invalid event type")
	ErrInvalidData    = errors.New("realtime: event data is not valid JSON")
	ErrClientNotFound = errors.New("realtime: client not found")
	ErrSlowClient     = errors.New("realtime: client queue full, client disconnected")
	ErrClosed         = errors.New("realtime: closed")
)

// maxNameLen bounds channel names and event types, in bytes.
const maxNameLen = 128

// ValidChannel reports whether name can be used as a channel: 1 to 128 bytes
// of ASCII letters, digits and "-_.:". The restriction keeps names safe inside
// Redis keys, URLs and logs.
func ValidChannel(name string) bool {
	if name == "" || len(name) > maxNameLen {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-' || c == '_' || c == '.' || c == ':':
		default:
			return false
		}
	}
	return true
}

// validatePublish checks the arguments of Broker.Publish; both brokers use it
// so that they reject the same input with the same errors.
func validatePublish(channel, typ string, data json.RawMessage) error {
	if !ValidChannel(channel) {
		return fmt.Errorf("%w: %q", ErrInvalidChannel, channel)
	}
	if err := validateType(typ); err != nil {
		return err
	}
	if typ == TypeSnapshot {
		return fmt.Errorf("%w: %q is reserved", ErrInvalidType, typ)
	}
	if len(data) > 0 && !json.Valid(data) {
		return fmt.Errorf("%w (channel %q, type %q)", ErrInvalidData, channel, typ)
	}
	return nil
}

// validateSend checks the arguments of Broker.Send.
func validateSend(channel, user, typ string, data json.RawMessage) error {
	if !ValidChannel(channel) {
		return fmt.Errorf("%w: %q", ErrInvalidChannel, channel)
	}
	if user == "" || len(user) > maxNameLen {
		return fmt.Errorf("%w: empty or long recipient", ErrInvalidType)
	}
	if err := validateType(typ); err != nil {
		return err
	}
	if len(data) > 0 && !json.Valid(data) {
		return fmt.Errorf("%w (type %q)", ErrInvalidData, typ)
	}
	return nil
}

// validateType accepts the same alphabet as channels and rejects the reserved
// wire types welcome and pong.
func validateType(typ string) error {
	if !ValidChannel(typ) {
		return fmt.Errorf("%w: %q", ErrInvalidType, typ)
	}
	if typ == TypeWelcome || typ == TypePong {
		return fmt.Errorf("%w: %q is reserved", ErrInvalidType, typ)
	}
	return nil
}

package types

// EffectiveStatus is the status a node counts as having at time now (unix seconds): OFFLINE when
// more than timeout seconds have passed since its last heartbeat, or when its stored status is
// unspecified; otherwise its stored status. A heartbeat in the future counts as fresh, and a
// negative timeout as zero.
func EffectiveStatus(stored NodeStatus, lastHeartbeat, now, timeout int64) NodeStatus {
	if stored == NODE_STATUS_UNSPECIFIED {
		return NODE_STATUS_OFFLINE
	}
	if lastHeartbeat >= now {
		return stored
	}
	if timeout < 0 {
		timeout = 0
	}
	// now > lastHeartbeat, so the difference is positive and fits in a uint64.
	if uint64(now)-uint64(lastHeartbeat) > uint64(timeout) {
		return NODE_STATUS_OFFLINE
	}
	return stored
}

// IsValidNodeStatus reports whether s is ONLINE, STANDBY or OFFLINE.
func IsValidNodeStatus(s NodeStatus) bool {
	return s == NODE_STATUS_ONLINE || s == NODE_STATUS_STANDBY || s == NODE_STATUS_OFFLINE
}

// IsValidOfferKind reports whether k is VM or VOLUME.
func IsValidOfferKind(k OfferKind) bool {
	return k == OFFER_KIND_VM || k == OFFER_KIND_VOLUME
}

// Available reports whether the offer takes bookings: active with free units. The keeper keeps an
// index of exactly these offers.
func (o Offer) Available() bool {
	return o.Active && o.UnitsBooked < o.UnitsTotal
}

// FreeUnits is the number of units of the offer that are not booked.
func (o Offer) FreeUnits() uint64 {
	if o.UnitsBooked >= o.UnitsTotal {
		return 0
	}
	return o.UnitsTotal - o.UnitsBooked
}

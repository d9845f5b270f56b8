package dev.sendsar.domain;

/** A participant's role in a room: operators may manage the room and its participants. */
public enum Role { OPERATOR, MEMBER }

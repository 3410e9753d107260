-- CreateTable
CREATE TABLE "send_rates" (
    "channel" TEXT NOT NULL,
    "next_slot_at" TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paused_until" TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "hits" INTEGER NOT NULL DEFAULT 0,
    "hits_since" TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "send_rates_pkey" PRIMARY KEY ("channel")
);


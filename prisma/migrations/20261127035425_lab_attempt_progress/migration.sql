-- AlterTable
ALTER TABLE "CheckpointResult" ADD COLUMN     "firstPassedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "LabAttempt" ADD COLUMN     "checkedAt" TIMESTAMPTZ(3),
ADD COLUMN     "checks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "clusterVersion" INTEGER,
ADD COLUMN     "openClusterId" UUID,
ADD COLUMN     "regradedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "LabAttempt_openClusterId_key" ON "LabAttempt"("openClusterId");

-- CreateIndex
CREATE INDEX "LabAttempt_courseId_labSlug_userId_idx" ON "LabAttempt"("courseId", "labSlug", "userId");
